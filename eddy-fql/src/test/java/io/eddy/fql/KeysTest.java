package io.eddy.fql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.SetPageValue;
import io.eddy.core.value.StringValue;
import io.eddy.fql.api.Principal;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.Role;
import io.eddy.fql.api.TemplateNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code Key} module, the secrets it mints, the registry that follows keys, and role limits. */
class KeysTest {
    @TempDir Path dir;
    EngineFixture f;

    @BeforeEach
    void open() {
        f = new EngineFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private QueryOutcome runAs(Principal p, String fql) {
        return f.engine.execute(new QueryRequest(TemplateNode.Fql.of(fql), Map.of(), QueryOptions.defaults(), p));
    }

    private String create(String role) {
        DocumentValue key = (DocumentValue) f.ok("Key.create({ role: '" + role + "', data: { name: 'ci' } })");
        assertThat(key.coll()).isEqualTo("Key");
        assertThat(key.data().get("role")).isEqualTo(new StringValue(role));
        return ((StringValue) key.data().get("secret")).value();
    }

    @Test
    void createdKeyAuthenticatesWithItsRoleUntilDeleted() {
        String secret = create("server");
        Principal p = f.engine.keys().authenticate(secret);
        assertThat(p).isNotNull();
        assertThat(p.role()).isEqualTo(Role.SERVER);
        // The secret is shown once: the stored document does not hold it.
        DocumentValue stored = (DocumentValue) f.ok("Key.byId('" + p.keyId() + "')");
        assertThat(stored.data().has("secret")).isFalse();
        assertThat(stored.data().get("data")).isNotNull();

        f.ok("Key.byId('" + p.keyId() + "')!.delete()");
        assertThat(f.engine.keys().authenticate(secret)).isNull();
        assertThat(f.engine.keys().isLive(p.keyId())).isFalse();
    }

    @Test
    void secretsOfOtherServersAndTamperedSecretsAreRefused() {
        String secret = create("admin");
        assertThat(f.engine.keys().authenticate(secret.substring(0, secret.length() - 2) + (secret.endsWith("AA") ? "BB" : "AA"))).isNull();
        // 32 bytes take 43 characters whose last one has two unused low bits: flipping one of them spells
        // the same bytes differently, and only the spelling that was handed out is the secret.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = secret.charAt(secret.length() - 1);
        String respelled = secret.substring(0, secret.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(f.engine.keys().authenticate(respelled)).isNull();
        assertThat(f.engine.keys().authenticate("fnnotasecret")).isNull();
        assertThat(new io.eddy.fql.auth.KeySecrets(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
                .keyIdOf(secret)).isNull();
    }

    @Test
    void keysSurviveRestartAndRoleChangesApply() {
        String secret = create("server");
        String id = f.engine.keys().authenticate(secret).keyId();
        f.ok("Key.byId('" + id + "')!.update({ role: 'server-readonly' })");
        assertThat(f.engine.keys().authenticate(secret).role()).isEqualTo(Role.SERVER_READONLY);
        f.close();
        f = new EngineFixture(dir);
        assertThat(f.engine.keys().authenticate(secret)).isEqualTo(new Principal(Role.SERVER_READONLY, id));
    }

    @Test
    void expiredKeysDoNotAuthenticate() {
        DocumentValue key = (DocumentValue) f.ok("Key.create({ role: 'admin', ttl: Time.now().subtract(1, 'second') })");
        assertThat(f.engine.keys().authenticate(((StringValue) key.data().get("secret")).value())).isNull();
    }

    @Test
    void keyArgumentsAreChecked() {
        assertThat(f.fail("Key.create({ role: 'superuser' })").message()).contains("`superuser` is not a role");
        assertThat(f.fail("Key.create({ data: {} })").message()).contains("invalid argument `role`");
        assertThat(f.fail("Key.create({ role: 'admin', database: 'child' })").message()).contains("`database`");
        assertThat(f.fail("Key.create({ role: 'admin', secret: 'mine' })").message()).contains("its secret is generated");
        assertThat(f.fail("Key.create({ role: 'admin', ttl: 3 })").code()).isEqualTo("invalid_argument");
        String id = f.engine.keys().authenticate(create("admin")).keyId();
        assertThat(f.fail("Key.byId('" + id + "')!.update({ role: 'root' })").code()).isEqualTo("invalid_argument");
        assertThat(f.fail("Key.byId('" + id + "')!.replace({ data: {} })").code()).isEqualTo("invalid_argument");
    }

    @Test
    void theKeyCollectionIsNotAUserCollection() {
        create("admin");
        assertThat(((SetPageValue) f.ok("Collection.all()")).data()).isEmpty();
        assertThat(f.ok("Collection.byName('Key')")).isNotInstanceOf(DocumentValue.class);
        assertThat(f.fail("Collection.create({ name: 'Key' })").code()).isEqualTo("invalid_argument");
        assertThat(((SetPageValue) f.ok("Key.all()")).data()).hasSize(1);
        assertThat(((ArrayValue) f.ok("Key.where(.role == 'admin').toArray()")).size()).isEqualTo(1);
        assertThat(f.fail("Key.all().toStream()").message()).contains("only collections and user defined indexes are streamable");
        assertThat(f.fail("Set.single(Key.all().first()!).toStream()").message()).contains("only collections");
    }

    @Test
    void rolesLimitWhatAQueryMayDo() {
        f.ok("Collection.create({ name: 'Thing' })");
        Principal server = new Principal(Role.SERVER, null);
        Principal readonly = new Principal(Role.SERVER_READONLY, null);
        assertThat(runAs(server, "Thing.create({ a: 1 })")).isInstanceOf(QueryOutcome.Success.class);
        for (String keyQuery : new String[] {"Key.create({ role: 'admin' })", "Key.all()", "Key.byId('1')"}) {
            QueryOutcome.Failure denied = (QueryOutcome.Failure) runAs(server, keyQuery);
            assertThat(denied.code()).as(keyQuery).isEqualTo("permission_denied");
            assertThat(denied.httpStatus()).isEqualTo(403);
        }
        assertThat(runAs(readonly, "Thing.all().count()")).isInstanceOf(QueryOutcome.Success.class);
        QueryOutcome.Failure write = (QueryOutcome.Failure) runAs(readonly, "Thing.create({ a: 2 })");
        assertThat(write.code()).isEqualTo("permission_denied");
        assertThat(write.message()).contains("`server-readonly` role cannot write");
        assertThat(((QueryOutcome.Failure) runAs(readonly, "Collection.create({ name: 'Other' })")).code())
                .isEqualTo("permission_denied");
        assertThat(f.ok("Thing.all().count()")).isEqualTo(new io.eddy.core.value.IntValue(1));
    }
}
