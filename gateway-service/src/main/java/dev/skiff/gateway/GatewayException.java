package dev.skiff.gateway;

import dev.skiff.common.ProblemException;

/** Failures of the gateway, each with its HTTP status: the gateway's failure -> status table. */
public final class GatewayException extends ProblemException {
    private GatewayException(int status, String title, String detail, String field) {
        super(status, title, detail, field);
    }

    /** A deployment field is invalid beyond what its annotations check (400, naming the field). */
    public static GatewayException invalid(String field, String detail) {
        return new GatewayException(400, "Invalid request", detail, field);
    }

    public static GatewayException notFound(String function) {
        return new GatewayException(404, "Function not found", "no function named '" + function + "'", null);
    }

    /** Something other than a function is not there (an async call, ...). */
    public static GatewayException notFound(String title, String detail) {
        return new GatewayException(404, title, detail, null);
    }

    public static GatewayException alreadyExists(String function) {
        return new GatewayException(409, "Function already exists",
                "function '" + function + "' exists; update it with PUT /system/functions", "service");
    }

    /** The request conflicts with the function's state. */
    public static GatewayException conflict(String detail) {
        return new GatewayException(409, "Conflict", detail, null);
    }

    /** The store or the scheduler cannot be reached or failed. */
    public static GatewayException unavailable(String what, String detail) {
        return new GatewayException(503, "Service unavailable", what + ": " + detail, null);
    }

    /** The node chosen for the call could not be reached. */
    public static GatewayException nodeUnavailable(String node, String detail) {
        return new GatewayException(502, "Node unavailable", "node " + node + " did not answer: " + detail, null);
    }

    /** A namespace's quota would be exceeded (403, naming the input that asks for too much). */
    public static GatewayException quotaExceeded(String field, String detail) {
        return new GatewayException(403, "Quota exceeded", detail, field);
    }

    public static GatewayException tooLarge(String detail) {
        return new GatewayException(413, "Payload too large", detail, null);
    }
}
