package dev.canopy.app.download;

import dev.canopy.app.errors.UserFacingException;

/** The downloaded bytes do not have the expected sha256; the damaged file was deleted. */
public final class ChecksumMismatchException extends UserFacingException {
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(String fileName, String expected, String actual) {
        super("The downloaded file " + fileName + " is damaged: its sha256 is " + actual + " but should be " + expected
                + ". The damaged copy was deleted; download it again.");
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() { return expected; }
    public String actual() { return actual; }
}
