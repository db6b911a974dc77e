-- A delivery whose outcome could not be learnt: an attempt got no clear answer and the provider
-- could not say, within MAILJET_OUTCOME_DEADLINE_S, whether it holds the message. It may have
-- been delivered, so it is never sent again on its own; a retry of the request (the user's
-- call, after checking their inbox) looks it up once more and only then sends it.
ALTER TABLE email_deliveries DROP CONSTRAINT email_deliveries_status_check;
ALTER TABLE email_deliveries ADD CONSTRAINT email_deliveries_status_check
    CHECK (status IN ('sending', 'sent', 'failed', 'unknown'));
