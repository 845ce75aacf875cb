package io.eddy.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterAndAuthTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/query/1, /query/1",
            "//query/1, /query/1",
            "///query//1, /query/1",
            "/query/1?x=1&y=//, /query/1",
            "/ping#frag, /ping",
            "http://localhost:8443//query/1, /query/1",
            "http://localhost:8443, /",
            "'', /",
    })
    void normalizePath(String target, String path) {
        assertThat(Router.normalizePath(target)).isEqualTo(path);
    }

    private static HttpHeaders auth(String value) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (value != null) {
            h.set("Authorization", value);
        }
        return h;
    }

    @Test
    void acceptedSecrets() throws Exception {
        Authenticator a = new Authenticator("s3cr3t");
        assertThat(a.authenticate(auth("Bearer s3cr3t"))).isEqualTo("admin");
        assertThat(a.authenticate(auth("bearer   s3cr3t  "))).isEqualTo("admin");
        assertThat(a.authenticate(auth("Bearer s3cr3t:admin"))).isEqualTo("admin");
        assertThat(a.authenticate(auth("Bearer s3cr3t:server"))).isEqualTo("server");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL                      | Access token required",
            "''                        | Access token required",
            "Bearer                    | Invalid token, unable to authenticate request",
            "Bearer  ' '               | Invalid token, unable to authenticate request",
            "Bearer s3cr3                | Invalid token, unable to authenticate request",
            "Bearer s3cr3t2            | Invalid token, unable to authenticate request",
            "Bearer s3cr3t:client      | Invalid token, unable to authenticate request",
            "Bearer s3cr3t:db:admin    | Invalid token, unable to authenticate request",
            "Bearer s3cr3t:            | Invalid token, unable to authenticate request",
            "Basic s3cr3t              | Invalid token, unable to authenticate request",
            "s3cr3t                    | Invalid token, unable to authenticate request",
    })
    void refusedSecrets(String header, String message) {
        Authenticator a = new Authenticator("s3cr3t");
        assertThatThrownBy(() -> a.authenticate(auth(header)))
                .isInstanceOf(ProtocolException.class).hasMessage(message)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    @Test
    void badRootSecrets() {
        assertThatThrownBy(() -> new Authenticator(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Authenticator("a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorCodesAreStable() {
        assertThat(ErrorCode.INVALID_REQUEST.code()).isEqualTo("invalid_request");
        assertThat(ErrorCode.REQUEST_SIZE_EXCEEDED.httpStatus()).isEqualTo(413);
        assertThat(ErrorCode.TIME_OUT.status().code()).isEqualTo(440);
        assertThat(ErrorCode.SERVICE_UNAVAILABLE.code()).isEqualTo("time_out");
    }
}
