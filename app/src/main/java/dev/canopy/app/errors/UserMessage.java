package dev.canopy.app.errors;

/**
 * A failure explained for a person: what happened and what to do next. Never a stack trace.
 *
 * @param title  a short headline, e.g. "The model could not be loaded"
 * @param detail one or two sentences with the cause and the next step
 */
public record UserMessage(String title, String detail) {
    public String text() {
        return detail.isBlank() ? title : title + ". " + detail;
    }
}
