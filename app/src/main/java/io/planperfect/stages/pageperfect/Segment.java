package io.planperfect.stages.pageperfect;

/** A run of the page's text under one heading (or a part of a long one). */
record Segment(int index, String heading, String text) {}
