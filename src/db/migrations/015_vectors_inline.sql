-- A vector of up to about 2,000 dimensions (8 KB) is kept in its row rather than in the TOAST table.
-- pgvector stores vectors EXTERNAL, so every row over 2 KB (a 1,024-dimension vector is 4 KB) had its
-- vector read through a TOAST index lookup: an exact scan of the corpus's 1,700 vectors spent most of
-- its time there (on PGlite 50–80 ms; inline, 5–7 ms). Larger vectors still go out of line. Rows written
-- before this stay as they are until re-indexed or rewritten (VACUUM FULL chunk_vectors).
ALTER TABLE chunk_vectors SET (toast_tuple_target = 8160);
