package io.eddy.fql.parse;

import io.eddy.core.value.Value;
import io.eddy.fql.ast.Span;

/**
 * Where a driver-interpolated value sits in a flattened template: the lexer emits a single
 * {@link TokenType#VALUE} token for the placeholder text at {@code span} instead of lexing it.
 */
public record ValueSlot(Span span, Value value) {}
