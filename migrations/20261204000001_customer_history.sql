-- Knowing the customer: their other issues (the same email in any case, or the same phone
-- by its E.164 form), the list searched by order id too, and the shop's own order page.

-- The detail's history: one index per way of being the same customer, newest first.
CREATE INDEX customer_care_email_history_idx ON public.customer_care (lower(email), created_at DESC, id DESC);
CREATE INDEX customer_care_phone_history_idx ON public.customer_care (phone_e164, created_at DESC, id DESC);

-- "LL-2042" typed into the search box finds the order, like a name or an email does.
CREATE INDEX customer_care_order_id_trgm_idx ON public.customer_care USING gin (order_id gin_trgm_ops);

-- Where the shop looks up an order in its own system ("https://shop.example/admin/orders/
-- {order_id}"), applied by `caredesk-server migrate` from the shop profile, which checks
-- it; NULL: the desktop shows the order id as text only.
ALTER TABLE public.caredesk_shop ADD COLUMN order_link text
    CONSTRAINT caredesk_shop_order_link_web CHECK (order_link ~ '^https?://[^\s/]+' AND order_link LIKE '%{order_id}%');
