/**
 * Event feeds and history: {@link io.eddy.stream.feed.LogScanner} walks the change log page by page
 * deriving events (for feeds and stream replay); a {@link io.eddy.stream.feed.FeedPage} is one poll's
 * answer; {@link io.eddy.stream.feed.FeedReadAhead} holds the next pages of feeds being paged through,
 * read before they are asked for.
 */
package io.eddy.stream.feed;
