package io.eddy.core.changelog;

/** What a transaction did to one document. */
public enum ChangeOp { CREATE, UPDATE, DELETE }
