package dev.canopy.app.settings;

/** The window's colour scheme. */
public enum Theme {
    LIGHT, DARK
}
