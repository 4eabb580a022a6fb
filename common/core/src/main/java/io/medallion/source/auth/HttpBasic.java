package io.medallion.source.auth;

import io.medallion.source.SecretRef;
import io.medallion.source.StringOrSecret;
import java.util.ArrayList;
import java.util.List;

/** HTTP basic authentication (RFC 7617). */
public record HttpBasic(StringOrSecret username, SecretRef password) implements AuthSpec {
  @Override
  public String type() {
    return "http_basic";
  }

  @Override
  public List<SecretRef> secrets() {
    List<SecretRef> out = new ArrayList<>();
    if (username.secret() != null) {
      out.add(username.secret());
    }
    out.add(password);
    return out;
  }
}
