package io.eddy.server.endpoint;

import io.eddy.server.http.Endpoint;
import io.eddy.server.http.Exchange;
import io.eddy.server.http.JsonResponses;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /ping}: 200 {@code {"ping":"pong"}}, without authentication. Test harnesses (the JS
 * driver's among them) poll it to wait for the server to come up.
 */
public final class PingEndpoint implements Endpoint {
    public static final String PATH = "/ping";

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public boolean requiresAuth() {
        return false;
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        exchange.respond(JsonResponses.json(exchange.alloc(), HttpResponseStatus.OK, g -> {
            g.writeStartObject();
            g.writeStringField("ping", "pong");
            g.writeEndObject();
        }));
    }
}
