package dev.skiff.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps failures at the REST edge to RFC 7807 problem+json, once for every service: domain
 * failures ({@link ProblemException}), validation failures (400, naming each field), unreadable
 * JSON (400, naming the field where parsing stopped) and JAX-RS errors (404, 405, 415...).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response domain(ProblemException e) {
        if (e.status() >= 500) {
            LOG.warnf("%s: %s", e.title(), e.getMessage());
        }
        Response.ResponseBuilder builder = problem(e.status(), e.title(), e.getMessage(), e.field(), null);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(err -> err.field() + ": " + err.message())
                .collect(Collectors.joining("; "));
        return problem(400, "Invalid request", detail, errors.isEmpty() ? null : errors.get(0).field(), errors).build();
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        String detail = "Request body is not valid JSON for this endpoint: " + e.getOriginalMessage();
        return problem(400, "Malformed request body", detail, field, null).build();
    }

    /** More specific than Quarkus' own mapper of this type, so ours answers. */
    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable);
        }
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        int status = original.getStatus();
        String title = original.getStatusInfo().getReasonPhrase();
        return problem(status, title, e.getMessage(), null, null).build();
    }

    /** A problem+json response builder; services use it for problems they answer without throwing. */
    public static Response.ResponseBuilder problem(int status, String title, String detail, String field,
            List<Problem.FieldError> errors) {
        String type = "https://skiff.dev/problems/" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, field, errors));
    }

    /** The input a violation is about: the JSON path inside a body, or the parameter's name. */
    static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        java.lang.reflect.Method method = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                method = findMethod(violation.getRootBeanClass(), node.as(Path.MethodNode.class));
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = wireName(method, node.as(Path.ParameterNode.class).getParameterIndex(), node.getName());
                continue;
            }
            if (node.getName() == null && node.getKey() == null && node.getIndex() == null) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node.getName() == null ? "" : node.getName());
            if (node.getKey() != null) {
                field.append('[').append(node.getKey()).append(']');
            } else if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
        }
        if (!field.isEmpty()) {
            return field.toString();
        }
        return parameter != null ? parameter : "request";
    }

    private static java.lang.reflect.Method findMethod(Class<?> type, Path.MethodNode node) {
        // the root bean may be a generated subclass whose override carries no JAX-RS annotations:
        // the declaring method is the topmost one
        java.lang.reflect.Method found = null;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                found = c.getDeclaredMethod(node.getName(), node.getParameterTypes().toArray(Class<?>[]::new));
            } catch (NoSuchMethodException e) {
                // not declared here
            }
        }
        return found;
    }

    /** The name the caller used: the header, query or path parameter name rather than the Java one. */
    private static String wireName(java.lang.reflect.Method method, int index, String javaName) {
        if (method == null || index >= method.getParameterCount()) {
            return javaName;
        }
        for (java.lang.annotation.Annotation a : method.getParameterAnnotations()[index]) {
            if (a instanceof jakarta.ws.rs.HeaderParam h) {
                return h.value();
            }
            if (a instanceof jakarta.ws.rs.QueryParam q) {
                return q.value();
            }
            if (a instanceof jakarta.ws.rs.PathParam p) {
                return p.value();
            }
        }
        return javaName;
    }
}
