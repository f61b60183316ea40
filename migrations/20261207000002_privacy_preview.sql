-- Before an admin exports or erases a customer's data from the desktop, it shows which
-- issues the request covers: the same matching the export and the erasure use.
GRANT EXECUTE ON FUNCTION public.caredesk_customer_issues(text, text) TO caredesk_admin;
