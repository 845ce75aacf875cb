package io.eddy.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a method and request target to an {@link Endpoint}. Immutable and thread-safe.
 *
 * <p>Paths are normalised first ({@link #normalizePath}): the JVM driver concatenates endpoint and
 * path as strings, so a configured endpoint ending in {@code /} yields {@code //query/1}.
 */
public final class Router {
    private static final Pattern SLASHES = Pattern.compile("/{2,}");

    /** What a request target resolves to. */
    public sealed interface Route {
        record Found(Endpoint endpoint) implements Route {}

        record NotFound(String path) implements Route {}

        /** The path exists but not for this method; {@code allowed} feeds the {@code Allow} header. */
        record WrongMethod(String path, List<HttpMethod> allowed) implements Route {}
    }

    private final Map<String, List<Endpoint>> byPath = new LinkedHashMap<>();

    public Router(List<? extends Endpoint> endpoints) {
        for (Endpoint e : endpoints) {
            List<Endpoint> at = byPath.computeIfAbsent(e.path(), p -> new ArrayList<>());
            for (Endpoint other : at) {
                if (other.method().equals(e.method())) {
                    throw new IllegalArgumentException("two endpoints for " + e.method() + " " + e.path());
                }
            }
            at.add(e);
        }
    }

    public Route route(HttpMethod method, String path) {
        List<Endpoint> at = byPath.get(path);
        if (at == null) {
            return new Route.NotFound(path);
        }
        for (Endpoint e : at) {
            if (e.method().equals(method)) {
                return new Route.Found(e);
            }
        }
        return new Route.WrongMethod(path, at.stream().map(Endpoint::method).toList());
    }

    /** Any endpoint at {@code path}, whatever its method, to render an error in its shape; or null. */
    public Endpoint anyAt(String path) {
        List<Endpoint> at = byPath.get(path);
        return at == null ? null : at.getFirst();
    }

    /**
     * The path of a request target: the query string dropped, an absolute-form target
     * ({@code http://host/p}) reduced to its path, and runs of slashes collapsed to one.
     */
    public static String normalizePath(String target) {
        String path = target;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        int scheme = path.indexOf("://");
        if (scheme > 0 && path.indexOf('/') > scheme) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        if (path.contains("//")) { // rare (an endpoint with a trailing slash): no regex on every request
            path = SLASHES.matcher(path).replaceAll("/");
        }
        return path.isEmpty() ? "/" : path;
    }
}
