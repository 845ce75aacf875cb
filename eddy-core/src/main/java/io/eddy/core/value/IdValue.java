package io.eddy.core.value;

/**
 * A document's {@code id} as FQL reads it ({@code doc.id}): a {@link StringValue} in every respect
 * (rendered, stored, encoded and ordered as its text), except that FQL's {@code ==} also finds it equal
 * to the Int or Long it spells, as Fauna's {@code ID} type is: {@code Product.where(.id ==
 * 390896421523423744)} finds the document {@code Product.byId("390896421523423744")} names.
 *
 * <p>Ids are positive 64-bit integers in canonical decimal (no sign, no leading zero), so "spells" is
 * text equality with the number's decimal form; stored back into a document it is a plain string.
 */
public final class IdValue extends StringValue {

    public IdValue(String id) {
        super(id);
    }

    /** Whether this id is the decimal form of {@code n}. */
    public boolean spells(long n) {
        return value().equals(Long.toString(n));
    }
}
