package dev.skiff.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Namespaces as tenants: every management endpoint refuses a missing key, a wrong key and an
 * expired JWT (401), hides another namespace's functions (404) or refuses to touch them (403), and
 * serves the owner; invocation is public unless the function's label asks for a key.
 */
class AuthIT {
    private static final String JWT_SECRET = "jwt-secret-for-tests";
    private static SkiffProcesses skiff;
    private static String gateway;

    @BeforeAll
    static void start() throws Exception {
        skiff = new SkiffProcesses("auth").withGatewayProperties(
                "-Dskiff.gateway.auth.admin-keys=root-key",
                "-Dskiff.gateway.auth.keys.team-a=a-key",
                "-Dskiff.gateway.auth.keys.team-b=b-key",
                "-Dskiff.gateway.auth.jwt-secret=" + JWT_SECRET,
                "-Dskiff.gateway.limits.max-instances-per-namespace=30").start();
        gateway = skiff.gatewayUrl();
    }

    @AfterAll
    static void stop() {
        if (skiff != null) {
            skiff.close();
        }
    }

    private static RequestSpecification as(String credential) {
        RequestSpecification request = given();
        return credential == null ? request : request.header("Authorization", "Bearer " + credential);
    }

    /** A compact HS256 JWT, as any JWT library makes one. */
    private static String jwt(String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return unsigned + "." + b64.encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String deployment(String name, String image, String extra) {
        return "{\"service\":\"%s\",\"image\":\"%s\",\"runtime\":\"exec\",\"handler\":\"h.sh\"%s}".formatted(name, image, extra);
    }

    private static String upload(String credential, String name) {
        return as(credential).contentType(ContentType.BINARY).body("#!/bin/sh\necho \"hi from $(cat)\"\n".getBytes(StandardCharsets.UTF_8))
                .queryParam("filename", "h.sh").when().post(gateway + "/system/code/" + name)
                .then().statusCode(201).extract().path("image");
    }

    /** One management endpoint, as a request to complete and send. */
    private record Endpoint(String name, UnaryOperator<RequestSpecification> body, String method, String path) {
        io.restassured.response.Response send(String credential) {
            return body.apply(as(credential)).when().request(method, gateway + path);
        }
    }

    @Test
    void everyManagementEndpointRefusesStrangersHidesOtherNamespacesAndServesItsOwner() throws Exception {
        String image = upload("a-key", "alpha");
        as("a-key").contentType(ContentType.JSON).body(deployment("alpha", image, "")).when().post(gateway + "/system/functions")
                .then().statusCode(202);
        given().body("anyone").when().post(gateway + "/function/alpha").then().statusCode(200).body(equalTo("hi from anyone\n"));

        String expired = jwt("{\"ns\":\"team-a\",\"exp\":1}");
        List<Endpoint> endpoints = List.of(
                new Endpoint("list", r -> r, "GET", "/system/functions"),
                new Endpoint("get", r -> r, "GET", "/system/function/alpha"),
                new Endpoint("versions", r -> r, "GET", "/system/function/alpha/versions"),
                new Endpoint("scale", r -> r.contentType(ContentType.JSON).body("{\"serviceName\":\"alpha\",\"replicas\":1}"),
                        "POST", "/system/scale-function/alpha"),
                new Endpoint("update", r -> r.contentType(ContentType.JSON).body(deployment("alpha", image, ",\"envVars\":{\"V\":\"2\"}")),
                        "PUT", "/system/functions"),
                new Endpoint("rollback", r -> r.contentType(ContentType.JSON).body("{}"), "POST", "/system/function/alpha/rollback"),
                new Endpoint("upload", r -> r.contentType(ContentType.BINARY).body("x".getBytes(StandardCharsets.UTF_8)).queryParam("filename", "h.sh"),
                        "POST", "/system/code/alpha"),
                new Endpoint("deploy", r -> r.contentType(ContentType.JSON).body(deployment("gamma", image, "")), "POST", "/system/functions"),
                new Endpoint("delete", r -> r.contentType(ContentType.JSON).body("{\"functionName\":\"alpha\"}"), "DELETE", "/system/functions"));
        for (Endpoint endpoint : endpoints) {
            endpoint.send(null).then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"skiff\"")
                    .contentType("application/problem+json").body("detail", containsString("needs credentials"));
            endpoint.send("not-a-key").then().statusCode(401).body("detail", equalTo("the API key is not valid"));
            endpoint.send(expired).then().statusCode(401).body("detail", equalTo("the JWT is not valid: the token expired"));
        }
        // team-b sees nothing of team-a's and can change none of it
        as("b-key").when().get(gateway + "/system/functions").then().statusCode(200).body("name", not(hasItem("alpha")));
        for (String name : List.of("get", "versions", "scale", "update", "rollback", "delete")) {
            endpoints.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().send("b-key")
                    .then().statusCode(404).body("title", equalTo("Function not found"));
        }
        endpoints.get(6).send("b-key").then().statusCode(403).body("detail", containsString("another namespace"));
        as("b-key").contentType(ContentType.JSON).body(deployment("gamma", image, ",\"namespace\":\"team-a\"")).when()
                .post(gateway + "/system/functions").then().statusCode(403).body("detail", containsString("namespace team-a"));
        given().body("still").when().post(gateway + "/function/alpha").then().statusCode(200).body(equalTo("hi from still\n"));

        // the owner (by key or by JWT) and the admin do what they ask
        as("a-key").when().get(gateway + "/system/functions").then().statusCode(200)
                .body("find { it.name == 'alpha' }.namespace", equalTo("team-a"));
        String valid = jwt("{\"ns\":\"team-a\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");
        as(valid).when().get(gateway + "/system/function/alpha").then().statusCode(200).body("namespace", equalTo("team-a"));
        as("root-key").when().get(gateway + "/system/function/alpha").then().statusCode(200);
        endpoints.get(3).send("a-key").then().statusCode(202);
        endpoints.get(4).send("a-key").then().statusCode(202);
        endpoints.get(5).send(valid).then().statusCode(202);
        endpoints.get(8).send("a-key").then().statusCode(202);
        as("root-key").when().get(gateway + "/system/function/alpha").then().statusCode(404);
    }

    @Test
    void secretsEndpointsRefuseStrangersAndKeepEachNamespacesSecretsToItself() throws Exception {
        String expired = jwt("{\"ns\":\"team-a\",\"exp\":1}");
        String secret = "{\"name\":\"a-secret\",\"value\":\"of-team-a\"}";
        List<Endpoint> endpoints = List.of(
                new Endpoint("list", r -> r, "GET", "/system/secrets"),
                new Endpoint("create", r -> r.contentType(ContentType.JSON).body(secret), "POST", "/system/secrets"),
                new Endpoint("update", r -> r.contentType(ContentType.JSON).body(secret), "PUT", "/system/secrets"),
                new Endpoint("delete", r -> r.contentType(ContentType.JSON).body("{\"name\":\"a-secret\"}"), "DELETE", "/system/secrets"));
        for (Endpoint endpoint : endpoints) {
            endpoint.send(null).then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"skiff\"");
            endpoint.send("not-a-key").then().statusCode(401).body("detail", equalTo("the API key is not valid"));
            endpoint.send(expired).then().statusCode(401).body("detail", equalTo("the JWT is not valid: the token expired"));
        }
        endpoints.get(1).send("a-key").then().statusCode(201).body("namespace", equalTo("team-a"));

        // team-b neither sees nor touches it, nor gives it to a function of its own
        as("b-key").when().get(gateway + "/system/secrets").then().statusCode(200).body("name", not(hasItem("a-secret")));
        as("b-key").when().get(gateway + "/system/secrets?namespace=team-a").then().statusCode(403);
        String inTeamA = "{\"name\":\"a-secret\",\"namespace\":\"team-a\",\"value\":\"stolen\"}";
        as("b-key").contentType(ContentType.JSON).body(inTeamA).when().put(gateway + "/system/secrets").then().statusCode(403);
        as("b-key").contentType(ContentType.JSON).body(inTeamA).when().delete(gateway + "/system/secrets").then().statusCode(403);
        endpoints.get(2).send("b-key").then().statusCode(404);
        String image = upload("b-key", "thief");
        as("b-key").contentType(ContentType.JSON).body(deployment("thief", image, ",\"secrets\":[\"a-secret\"]"))
                .when().post(gateway + "/system/functions").then().statusCode(400).body("field", equalTo("secrets"));
        as("b-key").contentType(ContentType.JSON).body(deployment("thief", image, ",\"namespace\":\"team-a\",\"secrets\":[\"a-secret\"]"))
                .when().post(gateway + "/system/functions").then().statusCode(403);

        // the admin sees every namespace's names; the owner changes and deletes it
        as("root-key").when().get(gateway + "/system/secrets?namespace=team-a").then().statusCode(200)
                .body("name", hasItem("a-secret")).body(not(containsString("of-team-a")));
        String owner = jwt("{\"ns\":\"team-a\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");
        endpoints.get(2).send(owner).then().statusCode(200);
        endpoints.get(3).send("a-key").then().statusCode(204);
    }

    @Test
    void aFunctionLabelledForKeysIsInvokedOnlyWithItsNamespacesCredentials() throws Exception {
        String image = upload("b-key", "guarded-b");
        as("b-key").contentType(ContentType.JSON)
                .body(deployment("guarded-b", image, ",\"labels\":{\"skiff.dev/invoke-auth\":\"true\"}"))
                .when().post(gateway + "/system/functions").then().statusCode(202);
        given().body("x").when().post(gateway + "/function/guarded-b").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"skiff\"");
        as("a-key").body("x").when().post(gateway + "/function/guarded-b").then().statusCode(403);
        as("b-key").body("tenant").when().post(gateway + "/function/guarded-b").then().statusCode(200).body(equalTo("hi from tenant\n"));
        String jwt = jwt("{\"ns\":\"team-b\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");
        as(jwt).body("jwt").when().post(gateway + "/function/guarded-b").then().statusCode(200).body(equalTo("hi from jwt\n"));
        as("root-key").body("admin").when().post(gateway + "/function/guarded-b").then().statusCode(200);
    }

    @Test
    void aNamespaceMayNotAskForMoreInstancesThanItsQuota() throws Exception {
        String teamC = jwt("{\"ns\":\"team-c\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");
        String image = upload(teamC, "quota-1");
        String scale = ",\"labels\":{\"com.openfaas.scale.max\":\"%d\"}";
        as(teamC).contentType(ContentType.JSON).body(deployment("quota-1", image, scale.formatted(20)))
                .when().post(gateway + "/system/functions").then().statusCode(202);
        as(teamC).contentType(ContentType.JSON).body(deployment("quota-2", image, scale.formatted(11)))
                .when().post(gateway + "/system/functions").then().statusCode(403)
                .body("title", equalTo("Quota exceeded")).body("field", equalTo("labels[com.openfaas.scale.max]"))
                .body("detail", containsString("namespace team-c may run 30 instances; its other functions may run 20"));
        as(teamC).contentType(ContentType.JSON).body(deployment("quota-2", image, scale.formatted(10)))
                .when().post(gateway + "/system/functions").then().statusCode(202);
        as(teamC).contentType(ContentType.JSON).body(deployment("quota-1", image, scale.formatted(21)))
                .when().put(gateway + "/system/functions").then().statusCode(403).body("title", equalTo("Quota exceeded"));
        as(teamC).when().get(gateway + "/system/function/quota-1").then().statusCode(200).body("maxScale", equalTo(20));
    }

    @Test
    void aRollbackToAVersionThatAsksForMoreInstancesThanTheQuotaIsRefusedAndChangesNothing() throws Exception {
        String teamD = jwt("{\"ns\":\"team-d\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");
        String image = upload(teamD, "back-1");
        String scale = ",\"labels\":{\"com.openfaas.scale.max\":\"%d\"}";
        as(teamD).contentType(ContentType.JSON).body(deployment("back-1", image, scale.formatted(20)))
                .when().post(gateway + "/system/functions").then().statusCode(202);
        as(teamD).contentType(ContentType.JSON).body(deployment("back-1", image, scale.formatted(5)))
                .when().put(gateway + "/system/functions").then().statusCode(202);
        as(teamD).contentType(ContentType.JSON).body(deployment("back-2", image, scale.formatted(20)))
                .when().post(gateway + "/system/functions").then().statusCode(202);
        String current = as(teamD).when().get(gateway + "/system/function/back-1/versions").then().statusCode(200)
                .body("size()", equalTo(2)).body("[0].current", equalTo(true)).extract().path("[0].digest");

        // the previous version's maxScale of 20 beside back-2's 20 would pass the namespace's 30
        as(teamD).contentType(ContentType.JSON).body("{}").when().post(gateway + "/system/function/back-1/rollback")
                .then().statusCode(403).body("title", equalTo("Quota exceeded"))
                .body("detail", containsString("namespace team-d may run 30 instances; its other functions may run 20"));

        as(teamD).when().get(gateway + "/system/function/back-1").then().statusCode(200).body("maxScale", equalTo(5));
        as(teamD).when().get(gateway + "/system/function/back-1/versions").then().statusCode(200)
                .body("[0].current", equalTo(true)).body("[0].digest", equalTo(current));
    }
}
