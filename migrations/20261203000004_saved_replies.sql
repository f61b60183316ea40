-- Saved replies: a shared library of answers (title and body) any agent inserts into a
-- response, with placeholders filled from the issue; admins add, edit and delete them.
-- The placeholders need two things the desktop cannot know by itself, kept here: the
-- shop's name and the public address of its status pages (both applied by
-- `caredesk-server migrate`, from the shop profile and CAREDESK_PUBLIC_URL).

CREATE TABLE public.caredesk_saved_reply (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       varchar(100) NOT NULL CONSTRAINT caredesk_saved_reply_title_present CHECK (btrim(title) <> ''),
    body        text NOT NULL CONSTRAINT caredesk_saved_reply_body_length CHECK (
                    btrim(body) <> '' AND char_length(body) <= 10000),
    updated_by  text NOT NULL DEFAULT session_user,
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- one title once, whatever its case: typing "#refund" finds one reply, not two
CREATE UNIQUE INDEX caredesk_saved_reply_title_key ON public.caredesk_saved_reply (lower(title));

-- Who changed a reply last, and when: the database's word, not the client's.
CREATE FUNCTION public.caredesk_saved_reply_stamp() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.updated_by := session_user;
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;
CREATE TRIGGER caredesk_saved_reply_stamp BEFORE INSERT OR UPDATE ON public.caredesk_saved_reply
    FOR EACH ROW EXECUTE FUNCTION public.caredesk_saved_reply_stamp();

-- One row: the shop as saved replies name it.
CREATE TABLE public.caredesk_shop (
    only_row    boolean PRIMARY KEY DEFAULT true CONSTRAINT caredesk_shop_one_row CHECK (only_row),
    name        text NOT NULL DEFAULT 'our shop' CONSTRAINT caredesk_shop_name_present CHECK (btrim(name) <> ''),
    -- where customers reach the status pages ("https://care.shop.example"); NULL: unknown
    public_url  text CONSTRAINT caredesk_shop_public_url_web CHECK (public_url ~ '^https?://[^\s/]+')
);
INSERT INTO public.caredesk_shop DEFAULT VALUES;

-- A fresh status link for an issue's customer, for a reply an agent is writing: NULL when
-- the shop's public address is unknown (then there is no link to give). Like the links in
-- emails, only its hash is kept.
CREATE FUNCTION public.caredesk_status_link(p_issue_id bigint) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    base text := (SELECT public_url FROM public.caredesk_shop);
BEGIN
    IF base IS NULL OR NOT EXISTS (SELECT 1 FROM public.customer_care WHERE id = p_issue_id) THEN
        RETURN NULL;
    END IF;
    RETURN rtrim(base, '/') || '/customer-care/status/' || public.caredesk_new_link(p_issue_id);
END
$$;

ALTER TABLE public.caredesk_saved_reply OWNER TO caredesk_owner;
ALTER TABLE public.caredesk_shop OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_saved_reply_stamp() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_status_link(bigint) OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.caredesk_status_link(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_status_link(bigint) TO caredesk_agent;

GRANT SELECT ON public.caredesk_saved_reply, public.caredesk_shop TO caredesk_agent;
GRANT INSERT (title, body), UPDATE (title, body), DELETE ON public.caredesk_saved_reply TO caredesk_admin;
