/**
 * {@code bin/unicard demo}: a month of the Port Said pilot in about a minute — a generated data set,
 * the real switch over TCP with a fast business clock, the families' visits day by day
 * ({@link org.unicard.tools.demo.MonthStory}, with {@link org.unicard.tools.demo.StoryEvent}s as the
 * extension point), every answer checked against the demo's own model of the month
 * ({@link org.unicard.tools.demo.MonthModel}), a summary that proves every loaf and piaster against the
 * switch's answers, state and settlement, and an HTML report. {@code --rush} runs the former stress
 * test ({@link org.unicard.tools.demo.Demo}), which exhausts quotas on purpose.
 */
package org.unicard.tools.demo;
