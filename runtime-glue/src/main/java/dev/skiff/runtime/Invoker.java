package dev.skiff.runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns one HTTP call into one function call. Implementations are built once at start-up (that is
 * where a function that cannot run is refused) and are then called from several worker threads.
 */
interface Invoker extends AutoCloseable {

    /** Content type of text answers and of error bodies. */
    String TEXT = "text/plain; charset=utf-8";

    /**
     * One call as the function sees it.
     *
     * @param method  upper-case HTTP method
     * @param path    raw request path
     * @param query   raw query string, or null
     * @param headers request headers, names as the HTTP server reports them
     * @param body    the request body
     */
    record Call(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header (names compared without case), or null. */
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /**
     * The function's answer. {@code error} is set when the function failed (an exception, a
     * non-zero exit, an oversized answer): the glue then answers 500 with the
     * {@code X-Skiff-Function-Error} header, so the caller can tell a failed function from a
     * broken instance.
     */
    record Answer(byte[] body, String contentType, String error) {
        static Answer ok(byte[] body, String contentType) {
            return new Answer(body, contentType, null);
        }

        static Answer failed(String error, byte[] body) {
            return new Answer(body, TEXT, error);
        }

        /** A failure whose body is its own description. */
        static Answer failed(String error) {
            return failed(error, error.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code <exception class>: <message>}, how a failure is told in the error header and body. */
    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
    }

    /** Runs the function once. Exceptions thrown here are glue failures, not function failures. */
    Answer invoke(Call call) throws Exception;

    /** Releases what the invoker holds; calls still running are ended. */
    @Override
    default void close() {
    }
}
