package io.medallion.source.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlsTest {

  @Test
  void build_joinsBasePathAndEncodedParamsInOrder() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("q", "brand & co");
    params.put("type", "show");
    assertEquals("https://api.example.com/prefix/v1/search?q=brand%20%26%20co&type=show",
        Urls.build(URI.create("https://api.example.com/prefix//"), "/v1/search", params).toString());
    assertEquals("http://h:8/x", Urls.build(URI.create("http://h:8"), "/x", Map.of()).toString());
  }

  @Test
  void withParam_replacesInPlaceOrAppends_keepingTheOthersAsSent() {
    URI u = URI.create("https://h/x?a=1&page=2&b=%7E+x&page=9#f");
    assertEquals("https://h/x?a=1&page=3&b=%7E+x#f", Urls.withParam(u, "page", "3").toString());
    assertEquals("https://h/x?a=1&page=2&b=%7E+x&page=9&c=a%2Fb#f", Urls.withParam(u, "c", "a/b").toString());
    assertEquals("https://h/x?c=1", Urls.withParam(URI.create("https://h/x"), "c", "1").toString());
    assertEquals("~ x", Urls.param(u, "b"));
    assertNull(Urls.param(u, "z"));
  }

  @Test
  void rebase_keepsPathAndQuery_takesSchemeHostAndPort() {
    assertEquals("http://127.0.0.1:9000/api/token?x=1",
        Urls.rebase(URI.create("https://accounts.example.com/api/token?x=1"), URI.create("http://127.0.0.1:9000/ignored"))
            .toString());
  }

  @Test
  void canonical_ignoresParamOrderAndEncodingAndDefaultPorts() {
    assertEquals(Urls.canonical(URI.create("HTTPS://Api.Example.com:443/x?b=%7E&a=1")),
        Urls.canonical(URI.create("https://api.example.com/x?a=1&b=~")));
    assertNotEquals(Urls.canonical(URI.create("https://h/x?a=1")), Urls.canonical(URI.create("https://h/x?a=2")));
    assertTrue(Urls.sameOrigin(URI.create("https://H/a"), URI.create("https://h:443/b")));
  }
}
