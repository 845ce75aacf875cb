package io.eddy.server.wire;

import java.io.Serial;

/**
 * An input value that does not follow the format's rules. The message is a lower-case phrase such as
 * {@code numbers must be tagged}, meant to be embedded in a larger message
 * ({@code Invalid argument 'x': numbers must be tagged}), as Fauna's core does.
 *
 * <p>Carries no stack trace: it reports a client's mistake, not a server fault, and it is thrown per
 * bad request.
 */
public final class InvalidValueException extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
        super(message, null, false, false);
    }
}
