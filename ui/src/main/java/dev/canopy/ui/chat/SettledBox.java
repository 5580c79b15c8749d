package dev.canopy.ui.chat;

import javafx.scene.Node;
import javafx.scene.layout.VBox;

/**
 * A {@link VBox} that remembers its height for a width until something inside it changes. Wrapped
 * text has no cached height in JavaFX: every layout pass of the chat asks every earlier message and
 * every block of the answer being written how tall it is at the current width, which measures all
 * their text again. A message or block that did not change answers from here; any change below it
 * calls {@link #requestLayout} on the way up, which forgets the figures.
 */
final class SettledBox extends VBox {
    private double prefWidthFor = Double.NaN;
    private double prefHeight;
    private double minWidthFor = Double.NaN;
    private double minHeight;

    SettledBox(double spacing, Node... children) {
        super(spacing, children);
    }

    @Override
    protected double computePrefHeight(double width) {
        if (width != prefWidthFor) {
            prefHeight = super.computePrefHeight(width);
            prefWidthFor = width;
        }
        return prefHeight;
    }

    @Override
    protected double computeMinHeight(double width) {
        if (width != minWidthFor) {
            minHeight = super.computeMinHeight(width);
            minWidthFor = width;
        }
        return minHeight;
    }

    @Override
    public void requestLayout() {
        prefWidthFor = Double.NaN;
        minWidthFor = Double.NaN;
        super.requestLayout();
    }
}
