-- wrk: POST one valid report per request (the same row pgbench inserts directly)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Bench Customer","email":"bench@example.com","phone":"0151 23456789","issue_type":"other","description":"Measuring the intake path against the database alone.","priority":"normal"}'
