package dev.skiff.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The body of every registry error response: {@code {"errors":[{"code","message","detail"}]}}. */
public record OciErrors(List<Entry> errors) {

    /** One error of the list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String code, String message, Object detail) {
    }

    public static OciErrors of(String code, String message, Object detail) {
        return new OciErrors(List.of(new Entry(code, message, detail)));
    }
}
