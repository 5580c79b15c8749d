package dev.canopy.app.documents;

/** A document that cannot be read, with a message meant for the person who chose it. */
public final class DocumentException extends Exception {
    private final Reason reason;

    /** Why a document could not be read; the UI can pick an icon or an action from it. */
    public enum Reason { NOT_FOUND, EMPTY, UNSUPPORTED, ENCRYPTED, NO_TEXT_LAYER, NO_TEXT, DAMAGED, TOO_LARGE }

    public DocumentException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DocumentException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
