package io.eddy.server.http;

import io.eddy.fql.api.KeyAuthority;
import io.eddy.fql.api.Principal;
import io.eddy.fql.api.Role;
import io.eddy.fql.auth.KeySecrets;
import java.util.List;
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
        assertThat(a.authenticate(auth("Bearer s3cr3t"))).isEqualTo(Principal.ROOT);
        assertThat(a.authenticate(auth("bearer   s3cr3t  "))).isEqualTo(Principal.ROOT);
        assertThat(a.authenticate(auth("Bearer s3cr3t:admin"))).isEqualTo(Principal.ROOT);
        assertThat(a.authenticate(auth("Bearer s3cr3t:server"))).isEqualTo(new Principal(Role.SERVER, null));
        assertThat(a.authenticate(auth("Bearer s3cr3t:server-readonly"))).isEqualTo(new Principal(Role.SERVER_READONLY, null));
    }

    /** Key secrets: accepted while the authority knows the key, refused when forged, scoped or revoked. */
    @Test
    void keySecrets() throws Exception {
        KeySecrets secrets = new KeySecrets("0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.util.Set<String> live = new java.util.HashSet<>(java.util.Set.of("17"));
        KeyAuthority keys = new KeyAuthority() {
            @Override public Principal authenticate(String secret) {
                String id = secrets.keyIdOf(secret);
                return id != null && live.contains(id) ? new Principal(Role.SERVER, id) : null;
            }
            @Override public boolean isLive(String keyId) { return live.contains(keyId); }
        };
        Authenticator a = new Authenticator("s3cr3t", keys);
        String secret = secrets.mint("17");
        assertThat(secret).startsWith("fn");
        assertThat(a.authenticate(auth("Bearer " + secret))).isEqualTo(new Principal(Role.SERVER, "17"));
        assertThat(a.authenticate(auth("Bearer s3cr3t"))).isEqualTo(Principal.ROOT);
        String forged = secret.substring(0, secret.length() - 2) + (secret.endsWith("A") ? "BB" : "AA");
        for (String bad : List.of(forged, secret + ":admin", secrets.mint("18"), "fn", "fn!!!!")) {
            assertThatThrownBy(() -> a.authenticate(auth("Bearer " + bad))).as(bad).isInstanceOf(ProtocolException.class);
        }
        live.remove("17");
        assertThatThrownBy(() -> a.authenticate(auth("Bearer " + secret))).isInstanceOf(ProtocolException.class)
                .hasMessage("Invalid token, unable to authenticate request");
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
