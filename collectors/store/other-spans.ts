/** @module collectors/store: the row name shared by span names past a cap (names with ids in them would grow without end). */

/** The span name of the aggregate row that collects names past a cap. */
export const OTHER_SPANS = '(other)';
