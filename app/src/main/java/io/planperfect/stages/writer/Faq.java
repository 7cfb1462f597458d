package io.planperfect.stages.writer;

/** A frequently asked question about one keyword; kind selects the matching answer opening. */
public record Faq(String kind, String keyword, String question) {}
