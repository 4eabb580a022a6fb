package io.medallion.source.paginate;

import io.medallion.source.Json;

/**
 * How a resource gets its next page, declared as {@code {"type": ..., ...}}: one record per kind,
 * the kinds of dlt's rest_api. What each does at run time is in {@link Paginator}.
 */
public sealed interface PaginatorSpec
    permits PageNumber, Offset, JsonLink, HeaderLink, Cursor, SinglePage {

  /** The declared {@code type}. */
  String type();

  /** The kind {@code json} declares (the JSON Schema has checked its fields). */
  static PaginatorSpec parse(Json json) {
    String type = json.required("type");
    return switch (type) {
      case "page_number" -> new PageNumber(
          json.string("page_param", "page"),
          json.integer("base_page").orElse(1),
          json.string("page_size_param").orElse(null),
          json.integer("page_size").orElse(null),
          json.integer("max_page_size").orElse(null),
          json.child("total").map(Total::parse).orElse(null),
          json.integer("maximum_page").orElse(null));
      case "offset" -> new Offset(
          json.string("offset_param", "offset"),
          json.string("limit_param", "limit"),
          json.integer("limit").orElseThrow(),
          json.integer("max_limit").orElse(null),
          json.child("total").map(Total::parse).orElse(null),
          json.integer("maximum_offset").orElse(null));
      case "json_link" -> new JsonLink(json.required("next_url_path"));
      case "header_link" -> new HeaderLink(json.string("rel", "next"));
      case "cursor" -> new Cursor(json.required("cursor_path"), json.required("cursor_param"));
      case "single_page" -> new SinglePage();
      default -> throw new IllegalArgumentException("unknown paginator type '" + type + "'");
    };
  }
}
