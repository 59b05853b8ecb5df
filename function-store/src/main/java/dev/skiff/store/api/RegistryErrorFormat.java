package dev.skiff.store.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.common.ErrorFormat;
import dev.skiff.store.oci.OciErrorCode;
import dev.skiff.store.oci.OciErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/**
 * The registry API's words for failures no resource saw (a body over the size limit, an undecodable
 * path): the OCI error format, as {@link OciErrorMappers} answers everything else on {@code /v2}.
 */
@ApplicationScoped
public class RegistryErrorFormat implements ErrorFormat {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Optional<Body> body(String rawPath, int status, String detail) {
        if (!rawPath.equals("/v2") && !rawPath.startsWith("/v2/")) {
            return Optional.empty();
        }
        OciErrorCode code = switch (status) {
            case 413 -> OciErrorCode.SIZE_INVALID;
            case 401 -> OciErrorCode.UNAUTHORIZED;
            case 403 -> OciErrorCode.DENIED;
            default -> OciErrorCode.UNSUPPORTED;
        };
        try {
            return Optional.of(new Body(MediaType.APPLICATION_JSON, json.writeValueAsString(OciErrors.of(code.name(), detail, null))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
