-- What the planner needs to answer the Overdue view and the searches well at any size.

-- An issue awaits its first response exactly while it is unresolved with no response yet:
-- the two columns go together. Planned as independent, "awaiting" looked a hundred times
-- rarer than it is, and the Overdue view sorted every overdue issue instead of reading
-- the newest through its own index (82 ms instead of 0.3 ms at a million issues). The
-- combined statistics (which PostgreSQL 14 has) let the planner see them together.
CREATE STATISTICS public.customer_care_awaiting_stats (mcv) ON status, first_response_at
    FROM public.customer_care;
ALTER STATISTICS public.customer_care_awaiting_stats OWNER TO caredesk_owner;
ANALYZE public.customer_care;

-- Searches read the trigram indexes directly. With GIN's "fast update" every change of
-- an issue (each status change writes new index entries) first went to a pending list that
-- every search then scanned in full: ten thousand changes made a search ten times slower
-- until the next vacuum. A desk writes rarely and searches all day.
ALTER INDEX public.customer_care_name_trgm_idx SET (fastupdate = off);
ALTER INDEX public.customer_care_email_trgm_idx SET (fastupdate = off);
ALTER INDEX public.customer_care_phone_digits_trgm_idx SET (fastupdate = off);
ALTER INDEX public.customer_care_order_id_trgm_idx SET (fastupdate = off);
SELECT gin_clean_pending_list(index_name::regclass)
  FROM (VALUES ('public.customer_care_name_trgm_idx'), ('public.customer_care_email_trgm_idx'),
               ('public.customer_care_phone_digits_trgm_idx'), ('public.customer_care_order_id_trgm_idx')) AS i (index_name);
