package dev.canopy.app.cli;

/** A failure with a message meant for the person at the terminal. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
