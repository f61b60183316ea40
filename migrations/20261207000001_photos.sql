-- Photos of the problem: customers attach them to a report and to a follow-up message.
-- The public service decodes and re-encodes every file before it gets here (no metadata
-- survives), and hands them to the same intake functions as the words, so a report or a
-- message is stored with all its photos or not at all, and the public role still reads
-- nothing. Each photo belongs to the timeline event that added it (the report's `created`,
-- or the `customer_message`), and goes with its issue when the issue is deleted or erased.

CREATE TABLE public.customer_care_photo (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id     bigint NOT NULL REFERENCES public.customer_care (id) ON DELETE CASCADE,
    event_id     bigint NOT NULL REFERENCES public.customer_care_event (id) ON DELETE CASCADE,
    -- its place among the event's photos, as the customer ordered them
    position     smallint NOT NULL CONSTRAINT customer_care_photo_position CHECK (position BETWEEN 0 AND 19),
    content_type text NOT NULL CONSTRAINT customer_care_photo_type_known CHECK (content_type IN ('image/jpeg', 'image/png')),
    width        integer NOT NULL CONSTRAINT customer_care_photo_width CHECK (width BETWEEN 1 AND 16384),
    height       integer NOT NULL CONSTRAINT customer_care_photo_height CHECK (height BETWEEN 1 AND 16384),
    image        bytea NOT NULL CONSTRAINT customer_care_photo_image_size CHECK (octet_length(image) BETWEEN 1 AND 67108864),
    -- always a JPEG, at most 320 pixels on its longer side
    thumbnail    bytea NOT NULL CONSTRAINT customer_care_photo_thumbnail_size CHECK (octet_length(thumbnail) BETWEEN 1 AND 1048576),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (event_id, position)
);
CREATE INDEX customer_care_photo_issue_idx ON public.customer_care_photo (issue_id, event_id, position);
-- JPEG and PNG are compressed already: PostgreSQL's own compression would only cost time
ALTER TABLE public.customer_care_photo ALTER COLUMN image SET STORAGE EXTERNAL;
ALTER TABLE public.customer_care_photo ALTER COLUMN thumbnail SET STORAGE EXTERNAL;

-- Stores an event's photos; the arrays run in parallel (one element per photo).
CREATE FUNCTION public.caredesk_store_photos(
    p_issue_id bigint, p_event_id bigint,
    p_images bytea[], p_thumbnails bytea[], p_content_types text[], p_widths integer[], p_heights integer[]
) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer := coalesce(cardinality(p_images), 0);
BEGIN
    IF coalesce(cardinality(p_thumbnails), 0) <> n OR coalesce(cardinality(p_content_types), 0) <> n
       OR coalesce(cardinality(p_widths), 0) <> n OR coalesce(cardinality(p_heights), 0) <> n THEN
        RAISE EXCEPTION 'each photo needs its image, thumbnail, type, width and height'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO public.customer_care_photo (issue_id, event_id, position, content_type, width, height, image, thumbnail)
    SELECT p_issue_id, p_event_id, (i - 1)::smallint, p_content_types[i], p_widths[i], p_heights[i], p_images[i], p_thumbnails[i]
      FROM generate_series(1, n) AS i;
END
$$;

-- The report (as in customer_side), now with its photos: one call, one transaction.
DROP FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text, text);
CREATE FUNCTION public.caredesk_report_issue(
    p_name text, p_email text, p_phone text, p_phone_e164 text, p_order_id text,
    p_issue_type text, p_description text, p_priority text, p_language text,
    p_images bytea[] DEFAULT '{}', p_thumbnails bytea[] DEFAULT '{}', p_content_types text[] DEFAULT '{}',
    p_widths integer[] DEFAULT '{}', p_heights integer[] DEFAULT '{}'
) RETURNS TABLE (issue_id bigint, status_token text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '3s'
    SET statement_timeout = '30s' AS $$
DECLARE
    new_id bigint;
    created_event bigint;
BEGIN
    INSERT INTO public.customer_care (name, email, phone, phone_e164, order_id, issue_type, description, priority, language)
    VALUES (p_name, p_email, p_phone, p_phone_e164, p_order_id, p_issue_type, p_description, p_priority, p_language)
    RETURNING id INTO new_id;
    IF coalesce(cardinality(p_images), 0) > 0 THEN
        SELECT e.id INTO created_event FROM public.customer_care_event e
         WHERE e.issue_id = new_id AND e.kind = 'created';
        PERFORM public.caredesk_store_photos(new_id, created_event, p_images, p_thumbnails, p_content_types, p_widths, p_heights);
    END IF;
    IF public.caredesk_mail_available() THEN
        PERFORM public.caredesk_queue_email(new_id, 'confirmation', NULL);
    END IF;
    RETURN QUERY SELECT new_id, public.caredesk_new_link(new_id);
END
$$;

-- The customer writes again (as in merge), now with photos; a message of photos alone
-- needs no words.
DROP FUNCTION public.caredesk_customer_message(bytea, integer, text);
CREATE FUNCTION public.caredesk_customer_message(
    p_token_hash bytea, p_days integer, p_text text,
    p_images bytea[] DEFAULT '{}', p_thumbnails bytea[] DEFAULT '{}', p_content_types text[] DEFAULT '{}',
    p_widths integer[] DEFAULT '{}', p_heights integer[] DEFAULT '{}'
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '3s'
    SET statement_timeout = '30s' AS $$
DECLARE
    issue bigint := public.caredesk_link_issue(p_token_hash, p_days);
    photos integer := coalesce(cardinality(p_images), 0);
    working bigint;
    message_event bigint;
BEGIN
    IF issue IS NULL THEN
        RETURN NULL;
    END IF;
    IF char_length(p_text) > 5000 OR (btrim(p_text) = '' AND photos = 0) THEN
        RAISE EXCEPTION 'a message has 1 to 5000 characters'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_care_message_length';
    END IF;
    SELECT coalesce(c.merged_into, c.id) INTO working FROM public.customer_care c WHERE c.id = issue;
    INSERT INTO public.customer_care_event (issue_id, actor, kind, detail)
    VALUES (issue, 'customer', 'customer_message', jsonb_build_object('text', p_text, 'photos', photos))
    RETURNING id INTO message_event;
    IF photos > 0 THEN
        PERFORM public.caredesk_store_photos(issue, message_event, p_images, p_thumbnails, p_content_types, p_widths, p_heights);
    END IF;
    UPDATE public.customer_care SET status = 'open' WHERE id = working AND status = 'resolved';
    IF FOUND THEN
        -- the customer reopened it, not the public service's login
        UPDATE public.customer_care_event SET actor = 'customer'
         WHERE id = (SELECT max(id) FROM public.customer_care_event
                      WHERE issue_id = working AND kind = 'status_changed');
    END IF;
    PERFORM pg_notify('caredesk_customer_message', jsonb_build_object('id', working)::text);
    RETURN issue;
END
$$;

-- The status page (as in customer_side) says how many photos the report and each message
-- brought (the customer sees their words again, not their photos).
CREATE OR REPLACE FUNCTION public.caredesk_status(p_token_hash bytea, p_days integer) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    issue bigint := public.caredesk_link_issue(p_token_hash, p_days);
BEGIN
    IF issue IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (
        SELECT jsonb_build_object(
            'id', c.id, 'issue_type', c.issue_type, 'status', c.status, 'language', c.language,
            'created_at', c.created_at, 'resolved_at', c.resolved_at,
            'satisfaction', (SELECT jsonb_build_object('solved', s.solved, 'comment', s.comment, 'answered_at', s.answered_at)
                               FROM public.customer_care_satisfaction s WHERE s.issue_id = c.id),
            'events', coalesce((
                SELECT jsonb_agg(jsonb_build_object('kind', e.kind, 'at', e.at, 'detail',
                           CASE e.kind
                               WHEN 'created' THEN jsonb_build_object('photos',
                                   (SELECT count(*) FROM public.customer_care_photo p WHERE p.event_id = e.id))
                               WHEN 'status_changed' THEN jsonb_build_object('to', e.detail->'to')
                               WHEN 'responded' THEN jsonb_build_object('response', e.detail->'response')
                               WHEN 'customer_message' THEN jsonb_build_object('text', e.detail->'text', 'photos',
                                   (SELECT count(*) FROM public.customer_care_photo p WHERE p.event_id = e.id))
                               WHEN 'satisfaction' THEN jsonb_build_object('solved', e.detail->'solved')
                               ELSE '{}'::jsonb
                           END) ORDER BY e.at, e.id)
                  FROM public.customer_care_event e
                 WHERE e.issue_id = c.id
                   AND e.kind IN ('created', 'status_changed', 'responded', 'customer_message', 'satisfaction')
            ), '[]'::jsonb))
          FROM public.customer_care c WHERE c.id = issue
    );
END
$$;

-- A privacy export holds the customer's photos too (as base64, beside their event).
CREATE OR REPLACE FUNCTION public.caredesk_customer_export(p_email text, p_phone_e164 text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    matched_by text := public.caredesk_check_customer_key(p_email, p_phone_e164);
    ids bigint[] := ARRAY(SELECT public.caredesk_customer_issues(p_email, p_phone_e164));
BEGIN
    INSERT INTO public.caredesk_privacy_audit (action, matched_by, issues)
    VALUES ('export', matched_by, cardinality(ids));
    RETURN jsonb_build_object(
        'exported_at', clock_timestamp(),
        'matched_by', matched_by,
        'issues', coalesce((
            SELECT jsonb_agg(to_jsonb(c) - 'phone_digits' || jsonb_build_object(
                       'timeline', coalesce((
                           SELECT jsonb_agg(jsonb_build_object('at', e.at, 'actor', e.actor, 'kind', e.kind, 'detail', e.detail)
                                            ORDER BY e.at, e.id)
                             FROM public.customer_care_event e WHERE e.issue_id = c.id), '[]'::jsonb),
                       'emails', coalesce((
                           SELECT jsonb_agg(to_jsonb(o) - 'link_token' ORDER BY o.id)
                             FROM public.customer_care_outbox o WHERE o.issue_id = c.id), '[]'::jsonb),
                       'satisfaction', (
                           SELECT to_jsonb(s) FROM public.customer_care_satisfaction s WHERE s.issue_id = c.id),
                       'photos', coalesce((
                           SELECT jsonb_agg(jsonb_build_object(
                                      'added_at', p.created_at, 'content_type', p.content_type,
                                      'width', p.width, 'height', p.height,
                                      'base64', translate(encode(p.image, 'base64'), E'\n', ''))
                                  ORDER BY p.event_id, p.position)
                             FROM public.customer_care_photo p WHERE p.issue_id = c.id), '[]'::jsonb))
                   ORDER BY c.id)
              FROM public.customer_care c WHERE c.id = ANY(ids)), '[]'::jsonb));
END
$$;

ALTER TABLE public.customer_care_photo OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_store_photos(bigint, bigint, bytea[], bytea[], text[], integer[], integer[]) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text, text,
    bytea[], bytea[], text[], integer[], integer[]) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_customer_message(bytea, integer, text, bytea[], bytea[], text[], integer[], integer[])
    OWNER TO caredesk_owner;

REVOKE ALL ON public.customer_care_photo FROM PUBLIC;
REVOKE ALL ON FUNCTION public.caredesk_store_photos(bigint, bigint, bytea[], bytea[], text[], integer[], integer[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text, text,
    bytea[], bytea[], text[], integer[], integer[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.caredesk_customer_message(bytea, integer, text, bytea[], bytea[], text[], integer[], integer[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text, text,
    bytea[], bytea[], text[], integer[], integer[]) TO caredesk_intake;
GRANT EXECUTE ON FUNCTION public.caredesk_customer_message(bytea, integer, text, bytea[], bytea[], text[], integer[], integer[])
    TO caredesk_intake;
GRANT SELECT ON public.customer_care_photo TO caredesk_agent;
