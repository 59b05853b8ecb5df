package dev.skiff.store.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.skiff.contracts.MediaTypes;
import dev.skiff.store.auth.Access;
import dev.skiff.store.auth.AccessRequired;
import dev.skiff.store.oci.Digest;
import dev.skiff.store.oci.RepositoryName;
import dev.skiff.store.registry.ReferrerService;
import dev.skiff.store.storage.Referrer;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The referrers API, {@code GET /v2/<name>/referrers/<digest>}: an OCI image index of the
 * manifests whose subject is that digest, filtered by {@code artifactType} when asked.
 */
@Path("/v2")
@Blocking
@AccessRequired(Access.PULL)
public class ReferrerResource {
    private final ReferrerService referrers;

    ReferrerResource(ReferrerService referrers) {
        this.referrers = referrers;
    }

    /** The body: an image index whose entries describe the referrers. */
    public record ReferrerIndex(int schemaVersion, String mediaType, List<Entry> manifests) {
    }

    /** One referrer's descriptor. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Entry(String mediaType, String digest, long size, String artifactType, Map<String, String> annotations) {
        static Entry of(Referrer referrer) {
            return new Entry(referrer.mediaType(), referrer.digest().toString(), referrer.size(),
                    referrer.artifactType().orElse(null), referrer.annotations());
        }
    }

    @GET
    @Path("{name: .+}/referrers/{digest}")
    public Response referrers(@PathParam("name") String name, @PathParam("digest") String digest,
            @QueryParam("artifactType") String artifactType) {
        Optional<String> filter = Optional.ofNullable(artifactType).filter(type -> !type.isEmpty());
        List<Entry> entries = referrers.referrers(new RepositoryName(name), Digest.parse(digest), filter).stream()
                .map(Entry::of).toList();
        Response.ResponseBuilder response = Response.ok(new ReferrerIndex(2, MediaTypes.OCI_INDEX, entries), MediaTypes.OCI_INDEX);
        filter.ifPresent(type -> response.header(RegistryHeaders.OCI_FILTERS_APPLIED, "artifactType"));
        return response.build();
    }
}
