/**
 * Events and their cursors: an {@link io.eddy.stream.event.Event} is what a stream pushes or a feed
 * returns ({@code add}, {@code update}, {@code remove}, {@code status}, {@code error}); an
 * {@link io.eddy.stream.event.EventCursor} is its opaque change-log position; its
 * {@link io.eddy.stream.event.EventStats} are what producing it cost.
 */
package io.eddy.stream.event;
