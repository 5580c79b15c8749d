package dev.canopy.app.errors;

/** A failure whose message is already written for the user (what happened and what to do next). */
public class UserFacingException extends RuntimeException {
    public UserFacingException(String message) {
        super(message);
    }

    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}
