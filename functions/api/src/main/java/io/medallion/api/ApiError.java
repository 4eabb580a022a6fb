package io.medallion.api;

import java.util.List;

/**
 * A request the API refuses, with what the caller needs to fix it: the HTTP status, a stable
 * {@code code}, a message, the offending parameter and, where it helps, what is allowed instead.
 * Answered as {@code {"error": {"code", "message", "parameter", "allowed"}}}.
 */
final class ApiError extends RuntimeException {

  final int status;
  final String code;
  final String parameter;
  final List<String> allowed;

  ApiError(int status, String code, String message, String parameter, List<String> allowed) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.parameter = parameter;
    this.allowed = allowed == null ? List.of() : List.copyOf(allowed);
  }

  static ApiError badRequest(String code, String message, String parameter) {
    return new ApiError(400, code, message, parameter, null);
  }

  static ApiError badRequest(String code, String message, String parameter, List<String> allowed) {
    return new ApiError(400, code, message, parameter, allowed);
  }

  static ApiError notFound(String code, String message, List<String> allowed) {
    return new ApiError(404, code, message, null, allowed);
  }
}
