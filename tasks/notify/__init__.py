"""Telling people: the in-app notifications and their outbox of deliveries (``outbox``), sending
them (``delivery``) through the transports (email, WeCom and DingTalk robots), the daily reminder
sweep (``reminders``), the periodic Celery jobs, the calendar feed and the notification centre.

It may import departments, documents, tasks.models/choices/periods/changes and its own modules;
never tasks.workflow, tasks.dashboard or the spreadsheets. The transports know only the delivery
row and absolute links, nothing of the outbox or its callers.
"""
