"""Named database operations of the window, one module per area.

Each operation is a plain function that takes the database first, does its reads and
writes through `core`, and returns plain data (dataclasses, ids, counts). Widgets never
call them directly: they `await gateway.run(operation, ...)`, which runs the function in
the gateway's executor and turns busy and vanished databases into window states. This
keeps every database access of the window in these modules, each easy to test without a
window, and the widgets free of closures that capture the database.
"""
