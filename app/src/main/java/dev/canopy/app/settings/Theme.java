package dev.canopy.app.settings;

/** The window's colour scheme: light, dark, or whichever the operating system uses. */
public enum Theme {
    LIGHT, DARK, SYSTEM
}
