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
      "A steady routine around {term} saves time later.",
      "Before spending money on {kw}, list what you already have and what is truly missing.",
      "A good first week with {kw} ends with one thing that works and one thing to fix.",
      "Write down why {kw} matters to you; that note helps on the days when motivation dips.",
      "Beginners who rush {kw} tend to copy advice that was written for someone else's situation.",
      "The cheapest mistake with {kw} is the one you catch on paper before you start.",
      "Seasons, budgets and habits all shape what {kw} can look like for you.",
      "Sharing your results with {kw} invites tips from people who have solved the same problem.",
      "One reliable source on {kw} beats ten articles that contradict each other.",
      "Photos taken every few days make slow progress with {kw} easy to see.",
      "If {kw} feels overwhelming, split it into tasks that each take under an hour.",
      "Neighbours, forums and local clubs often know tricks for {kw} that books leave out.",
      "The right moment to change your approach to {kw} is after a fair trial, not after one bad day.",
      "Costs for {kw} drop quickly once you reuse what worked the first time.",
      "Nobody gets {kw} perfect at once, and that is fine.",
      "Reading the instructions twice saves a surprising amount of trouble with {kw}.",
      "Think of {term} as the ground floor that {kw} is built on.",
      "A calendar reminder keeps {kw} from slipping when life gets busy.",
      "Plenty of {audience} return to {kw} after a break and find it easier the second time.",
      "Try one experiment with {kw} at a time, and give each a fair chance to show results.",
      "Labels, lists and a fixed place for supplies take the friction out of {kw}.",
      "When advice about {kw} disagrees, test both ideas on a small scale.",
      "Progress with {kw} often stalls because of one small habit rather than a big obstacle.",
      "Good questions to ask about {kw} are what it costs, how long it takes and what can go wrong.",
      "A friend who tries {kw} alongside you makes the routine far easier to keep.",
      "There is rarely one correct answer for {kw}; there are trade-offs you choose between.",
      "Checking {term} first often explains results with {kw} that seemed random.",
      "Most setbacks with {kw} teach more than the easy wins do.",
      "Plan for the busiest week of the month, and {kw} will survive the quiet ones too.",
      "Keep the first version of your {kw} plan; comparing it with the current one shows how far you came.",
      "Weather, timing and patience matter as much as skill.",
      "Quality beats quantity here: fewer steps done well give better results.",
      "Tidy records turn guesswork into decisions you can explain.",
      "Each season brings its own tasks, so revisit the plan when the calendar turns.",
      "A budget written down early prevents most of the regret later.",
      "Spare an hour at the end of each month to look back and decide what to keep.",
      "Expert tips are useful, but your own notes are the advice that fits your situation best.",
      "Mistakes cost less when they are small, so test ideas before committing to them.",
      "Start with the part you enjoy most; momentum makes the harder parts easier.",
      "Borrowing equipment before buying it is a cheap way to learn what you really need.",
      "Reliable habits matter more than occasional bursts of effort.",
      "A quiet review of what went wrong is more useful than starting over from scratch.",
      "Most guides skip the boring parts, yet those are where results are won.",
      "Small adjustments made early are easier than big repairs made late.",
      "Pick tools that are easy to clean and store, because you will use them more often.",
      "Patience is easier when you know what normal progress looks like.",
      "The best plan is the one you can still follow on a tired evening.",
      "Ask what problem a product solves before adding it to your routine.",
      "Keeping things simple leaves room to notice what actually makes a difference.",
      "A short walk through the basics every few months keeps bad habits from creeping in.");

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
