/**
 * Schema: a {@link io.eddy.core.schema.CollectionSpec} is what a user declares; the store turns it into
 * a {@link io.eddy.core.schema.CollectionDef} with a database-unique collection id and
 * {@link io.eddy.core.schema.IndexDef indexes} with database-unique index ids, each made of
 * {@link io.eddy.core.schema.IndexField terms and values}.
 */
package io.eddy.core.schema;
