package dev.skiff.store.api;

import static dev.skiff.store.api.Registry.asPusher;
import static dev.skiff.store.api.Registry.imageManifest;
import static dev.skiff.store.api.Registry.pushImage;
import static dev.skiff.store.api.Registry.pushManifest;
import static dev.skiff.store.api.Registry.uniqueRepository;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CatalogResourceTest {

    @Test
    void tagsAreListedSortedLexically() {
        String repository = uniqueRepository("catalog");
        pushImage(repository, "v2", "config", "layer");
        for (String tag : List.of("v10", "latest", "V1", "v1")) {
            pushManifest(repository, tag, imageManifest("config", "layer"));
        }

        asPusher().when().get("/v2/" + repository + "/tags/list")
                .then().statusCode(200)
                .header("Link", nullValue())
                .body("name", equalTo(repository))
                .body("tags", equalTo(List.of("V1", "latest", "v1", "v10", "v2")));
    }

    @Test
    void tagsArePaginatedWithALinkToTheNextPage() {
        String repository = uniqueRepository("catalog");
        pushImage(repository, "a", "config", "layer");
        for (String tag : List.of("b", "c", "d", "e")) {
            pushManifest(repository, tag, imageManifest("config", "layer"));
        }

        Response first = asPusher().queryParam("n", 2).when().get("/v2/" + repository + "/tags/list");
        first.then().statusCode(200)
                .body("tags", equalTo(List.of("a", "b")))
                .header("Link", "</v2/" + repository + "/tags/list?n=2&last=b>; rel=\"next\"");

        asPusher().queryParam("n", 2).queryParam("last", "b").when().get("/v2/" + repository + "/tags/list")
                .then().body("tags", equalTo(List.of("c", "d")));
        asPusher().queryParam("n", 2).queryParam("last", "d").when().get("/v2/" + repository + "/tags/list")
                .then().body("tags", equalTo(List.of("e"))).header("Link", nullValue());
    }

    @Test
    void nextLinkCanBeFollowedAsGiven() {
        String repository = uniqueRepository("catalog");
        pushImage(repository, "one", "config", "layer");
        pushManifest(repository, "two", imageManifest("config", "layer"));
        String link = asPusher().queryParam("n", 1).get("/v2/" + repository + "/tags/list").header("Link");
        String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));

        asPusher().urlEncodingEnabled(false).when().get(next).then().statusCode(200).body("tags", equalTo(List.of("two")));
    }

    @Test
    void tagsOfAnUnknownRepositoryAre404NameUnknown() {
        asPusher().when().get("/v2/" + uniqueRepository("catalog") + "/tags/list")
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void catalogListsRepositoriesHoldingManifestsOnly() {
        String withManifest = uniqueRepository("catalog");
        pushImage(withManifest, "v1", "config", "layer");
        String blobsOnly = uniqueRepository("catalog");
        Registry.pushBlob(blobsOnly, "just a blob");

        asPusher().when().get("/v2/_catalog")
                .then().statusCode(200)
                .body("repositories", hasItem(withManifest))
                .body("repositories", not(hasItem(blobsOnly)));
    }

    @Test
    void catalogIsPaginatedInLexicalOrder() {
        String prefix = "paged" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        for (String name : List.of("c", "a/deeper", "b", "a")) {
            pushImage(prefix + "/" + name, "v1", "config", "layer");
        }

        asPusher().queryParam("n", 3).queryParam("last", prefix).when().get("/v2/_catalog")
                .then().statusCode(200)
                .body("repositories", equalTo(List.of(prefix + "/a", prefix + "/a/deeper", prefix + "/b")))
                .header("Link", "</v2/_catalog?n=3&last=" + prefix + "%2Fb>; rel=\"next\"");
        asPusher().queryParam("n", 1).queryParam("last", prefix + "/b").when().get("/v2/_catalog")
                .then().body("repositories", equalTo(List.of(prefix + "/c")));
    }

    @Test
    void catalogIsJsonWhateverTheAcceptHeaderAsks() {
        asPusher().accept("text/html").when().get("/v2/_catalog")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("application/json"));
    }

    @Test
    void invalidPageSizeIsRejected() {
        for (String n : List.of("-1", "many")) {
            asPusher().queryParam("n", n).when().get("/v2/_catalog")
                    .then().statusCode(400).body("errors[0].code", equalTo("PAGINATION_NUMBER_INVALID"));
        }
    }
}
