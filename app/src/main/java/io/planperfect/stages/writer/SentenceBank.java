package io.planperfect.stages.writer;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sentence and heading templates of the offline writer. Placeholders: {kw} keyword,
 * {Kw} keyword capitalised, {KW} keyword in title case, {term} a related term from the title,
 * {audience} the readers, {kwlist} the first keywords as a list.
 */
final class SentenceBank {
  private SentenceBank() {}

  static final List<String> BODY = List.of(
      "{Kw} works best when you start with a clear goal and a simple plan.",
      "Many {audience} find that {kw} becomes easier once the basics are in place.",
      "A small, steady effort on {kw} usually beats one big push at the end.",
      "The first step with {kw} is to decide what a good result looks like.",
      "It helps to think of {kw} as a habit rather than a one-time task.",
      "If you track how {kw} changes over a few weeks, patterns start to appear.",
      "Good results with {kw} depend less on tools and more on honest review.",
      "Most problems with {kw} come from skipping the planning stage.",
      "Try to link {kw} to one outcome you can measure, such as time saved.",
      "Keep short notes on what you change in {kw}, because memory is a poor record.",
      "Experienced {audience} often say that {kw} rewards patience more than speed.",
      "You do not need a large budget to get real value from {kw}.",
      "Start small, check the results, and adjust before you scale up.",
      "A short checklist keeps each step clear and easy to repeat.",
      "Simple language and clear examples make new ideas easier to apply.",
      "Review your progress every week and write down one lesson learned.",
      "When something does not work, change one thing at a time so you know what helped.",
      "Ask for feedback early, since fresh eyes catch issues you might miss.",
      "The details matter, but the overall direction matters more.",
      "Set a realistic timeline and leave some room for the unexpected.",
      "Clear priorities make it easier to say no to distractions.",
      "Small wins build the confidence you need for bigger changes.",
      "Compare a few options side by side before you choose one approach.",
      "Write the plan down so that everyone involved can follow it.",
      "Measure the outcome, not just the effort that went into it.",
      "Think about how {term} fits into the bigger picture before you commit.",
      "It is worth asking how {term} connects to {kw}.",
      "People who care about {term} often find {kw} a natural next step.",
      "A steady routine around {term} saves time later.");

  static final List<String> INTRO = List.of(
      "This guide covers {kwlist} in plain terms, with practical steps you can follow.",
      "If {kw} is on your list, you are in the right place.",
      "Below you will find clear advice on {kwlist}, along with common mistakes to avoid.",
      "We will look at what works, what to skip, and how to measure progress.",
      "Whether you are new to {kw} or want a refresher, the ideas here are easy to apply.");

  static final List<String> CONCLUSION = List.of(
      "To sum up, {kwlist} reward steady and thoughtful work.",
      "Pick one idea from this guide and try it this week.",
      "The key is to start small, measure what happens, and keep improving.",
      "Come back to these notes whenever you need a quick refresher on {kw}.");

  static final List<String> SECTION_HEADINGS = List.of(
      "{KW}: What You Need to Know",
      "Getting {KW} Right",
      "A Practical Guide to {KW}",
      "Understanding {KW}",
      "{KW} Explained",
      "Making the Most of {KW}");

  static final List<List<String>> SUBHEADING_PAIRS = List.of(
      List.of("Why {KW} Matters", "How to Get Started"),
      List.of("Common Mistakes to Avoid", "Best Practices for {KW}"),
      List.of("Key Benefits of {KW}", "Practical Steps to Take"),
      List.of("Tools and Resources for {KW}", "Measuring Your Progress"),
      List.of("Planning Your Approach to {KW}", "Tips for Better Results"));

  static final List<String> FAQ_KINDS = List.of("start", "time", "worth", "mistakes", "tools");

  static final Map<String, String> FAQ_QUESTIONS = Map.of(
      "start", "What is the best way to start with {kw}?",
      "time", "How long does it take to see results from {kw}?",
      "worth", "Is {kw} worth it for {audience}?",
      "mistakes", "What are the most common mistakes with {kw}?",
      "tools", "Do you need special tools for {kw}?");

  static final Map<String, String> FAQ_ANSWERS = Map.of(
      "start", "The best way to start with {kw} is to pick one clear goal and build from there.",
      "time", "Most people see early results from {kw} within a few weeks if they stay consistent.",
      "worth", "Yes, {kw} is usually worth it for {audience} who are willing to put in regular effort.",
      "mistakes", "The most common mistakes with {kw} are rushing the basics and not tracking results.",
      "tools", "You do not need special tools for {kw}, because a simple plan and a notebook are enough to begin.");

  static final String GENERIC_ANSWER = "Here is a short answer based on what tends to work with {kw}.";

  /** Sentence openers per tone; blanks repeat so that most sentences start plainly. */
  static List<String> openers(String tone) {
    String key = tone == null ? "" : tone.toLowerCase(Locale.ROOT);
    if (key.matches(".*(friend|casual|convers|playful|warm).*")) {
      return List.of("", "", "", "Honestly, ", "The good news is that ", "In our experience, ",
          "Better still, ", "Over time, ", "Put simply, ");
    }
    if (key.matches(".*(formal|profession|authorit|academic|expert).*")) {
      return List.of("", "", "", "In practice, ", "Notably, ", "As a rule, ", "In most cases, ",
          "In addition, ", "For example, ");
    }
    return List.of("", "", "", "In practice, ", "For example, ", "Over time, ", "In most cases, ",
        "On top of that, ", "Put simply, ");
  }

  /** Endings inserted before the final full stop; blanks repeat for the same reason. */
  static final List<String> TAILS = List.of(
      "", "", "", " for most {audience}", " in the long run", " at every stage", " from the very start");
}
