-- One send budget per bot token for every replica on this database (issue 19): the state
-- `herald.push.pacing.Pacer` keeps in memory, kept here, read and changed by one function
-- call per send, with the server's clock. Unlogged: it is worth seconds, not a crash
-- (after one the budget starts empty, as a restarted single process does).
--
-- `send_budgets`, one row per token (`budget`: a hash of it, never the token):
--   answered      the overall window, a ring of its `count` last sends: when the platform
--                 answered each, or while one is in flight, when it surely will have (its
--                 taking + the lease) - so a replica that dies mid-send frees its entry;
--   pushed        which of those entries a push took last: pushes may hold all but
--                 `reserve` of them, which are the replies' of every replica;
--   push_next     when the next push may go (pushes are spread, replies are not);
--   paused_until  a 429 heard by any replica stops every replica until then.
-- `send_budget_chats`, one row per chat sent to lately:
--   due           the chat's bucket as GCRA (its theoretical arrival time);
--   busy_until    a message of this chat is in flight (one at a time: order is kept);
--   answered      groups only: the ring of their last `count` sends in the minute.
CREATE UNLOGGED TABLE send_budgets (
    budget text PRIMARY KEY,
    answered double precision[] NOT NULL,
    pushed boolean[] NOT NULL,
    push_next double precision NOT NULL DEFAULT '-infinity',
    paused_until double precision NOT NULL DEFAULT '-infinity'
);

CREATE UNLOGGED TABLE send_budget_chats (
    budget text NOT NULL,
    chat text NOT NULL,
    due double precision NOT NULL DEFAULT '-infinity',
    busy_until double precision,
    answered double precision[],
    PRIMARY KEY (budget, chat)
);

-- The `need`-th entry of a ring to come free (1: the first), as it stands.
CREATE FUNCTION send_budget_free_at(ring double precision[], need integer)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
    SELECT t FROM unnest(ring) AS t ORDER BY t OFFSET need - 1 LIMIT 1
$$;

-- Take one send's turn, or say who is in the way and for how long. Any send needs a free
-- entry of the overall ring; a push also needs its spacing, and fewer than `count -
-- reserve` entries still counting pushes (the rest are for the replies of every replica).
-- Locks the token's row, then the chat's: takes are serialised.
CREATE FUNCTION send_budget_take(
    p_budget text, p_chat text, p_group boolean, p_reply boolean,
    p_count integer, p_span double precision, p_reserve integer,
    p_spacing double precision, p_tolerance double precision,
    p_interval double precision, p_burst integer,
    p_group_count integer, p_group_span double precision,
    p_lease double precision, p_at double precision,
    OUT granted boolean, OUT slot integer, OUT chat_slot integer,
    OUT taken double precision, OUT wait double precision, OUT blocker text
) LANGUAGE plpgsql AS $$
DECLARE
    now_ double precision := coalesce(p_at, extract(epoch FROM clock_timestamp()));
    ring double precision[];
    kinds boolean[];
    held integer;
    chat_ring double precision[];
    at double precision;
    moment double precision;
    b send_budgets%ROWTYPE;
    c send_budget_chats%ROWTYPE;
BEGIN
    granted := false;
    INSERT INTO send_budgets (budget, answered, pushed)
    VALUES (p_budget, array_fill('-infinity'::double precision, ARRAY[p_count]),
            array_fill(false, ARRAY[p_count]))
    ON CONFLICT (budget) DO NOTHING;
    SELECT * INTO b FROM send_budgets WHERE budget = p_budget FOR UPDATE;
    ring := b.answered;
    kinds := b.pushed;
    IF cardinality(ring) <> p_count THEN  -- the limit changed: every entry as its latest
        ring := array_fill((SELECT max(t) FROM unnest(ring) AS t), ARRAY[p_count]);
        kinds := array_fill(true, ARRAY[p_count]);
    END IF;
    IF b.paused_until > now_ THEN
        wait := b.paused_until - now_;
        blocker := 'paused';
        RETURN;
    END IF;
    -- An entry in flight (its time is ahead) comes free a window after its answer, which
    -- is now at the soonest: so `wait` is never too long, and exact when none is.
    at := least(send_budget_free_at(ring, 1), now_) + p_span;
    IF NOT p_reply THEN
        at := greatest(at, b.push_next - p_tolerance);
        SELECT count(*), least(min(e.t), now_) + p_span INTO held, moment
        FROM unnest(ring, kinds) AS e(t, push) WHERE e.push AND e.t + p_span > now_;
        IF held >= p_count - p_reserve THEN
            at := greatest(at, moment);
        END IF;
    END IF;
    IF at > now_ THEN
        wait := at - now_;
        blocker := 'overall';
        RETURN;
    END IF;

    INSERT INTO send_budget_chats (budget, chat, answered)
    VALUES (p_budget, p_chat, CASE WHEN p_group AND p_group_count > 0
            THEN array_fill('-infinity'::double precision, ARRAY[p_group_count]) END)
    ON CONFLICT (budget, chat) DO NOTHING;
    SELECT * INTO c FROM send_budget_chats
    WHERE budget = p_budget AND chat = p_chat FOR UPDATE;
    chat_ring := c.answered;
    IF chat_ring IS NOT NULL AND cardinality(chat_ring) <> p_group_count THEN
        chat_ring := array_fill((SELECT max(t) FROM unnest(chat_ring) AS t),
                                ARRAY[p_group_count]);
    END IF;
    at := c.due - (p_burst - 1) * p_interval;
    IF chat_ring IS NOT NULL THEN
        at := greatest(at, least(send_budget_free_at(chat_ring, 1), now_) + p_group_span);
    END IF;
    IF c.busy_until > now_ OR at > now_ THEN
        wait := greatest(at, coalesce(c.busy_until, at)) - now_;
        blocker := CASE WHEN c.busy_until > now_ THEN 'busy' ELSE 'chat' END;
        RETURN;
    END IF;

    granted := true;
    wait := 0;
    taken := now_ + p_lease;
    slot := array_position(ring, send_budget_free_at(ring, 1));
    ring[slot] := taken;
    kinds[slot] := NOT p_reply;
    UPDATE send_budgets SET
        answered = ring,
        pushed = kinds,
        push_next = CASE WHEN p_reply THEN push_next
                         ELSE greatest(push_next, now_) + p_spacing END
    WHERE budget = p_budget;
    IF chat_ring IS NOT NULL THEN
        chat_slot := array_position(chat_ring, send_budget_free_at(chat_ring, 1));
        chat_ring[chat_slot] := taken;
    END IF;
    UPDATE send_budget_chats SET
        due = greatest(due, now_) + p_interval,
        busy_until = taken,
        answered = chat_ring
    WHERE budget = p_budget AND chat = p_chat;
END
$$;

-- The platform answered a send taken as `p_taken`: its entries count from now, the chat may
-- send again. Nothing changes if its lease ran out and another send took them meanwhile.
CREATE FUNCTION send_budget_release(
    p_budget text, p_chat text, p_slot integer, p_chat_slot integer,
    p_taken double precision, p_interval double precision, p_at double precision
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    now_ double precision := coalesce(p_at, extract(epoch FROM clock_timestamp()));
BEGIN
    UPDATE send_budgets SET answered[p_slot] = now_
    WHERE budget = p_budget AND answered[p_slot] = p_taken;
    IF p_chat_slot IS NOT NULL THEN
        UPDATE send_budget_chats SET answered[p_chat_slot] = now_
        WHERE budget = p_budget AND chat = p_chat AND busy_until = p_taken
          AND answered[p_chat_slot] = p_taken;
    END IF;
    UPDATE send_budget_chats SET busy_until = NULL, due = greatest(due, now_ + p_interval)
    WHERE budget = p_budget AND chat = p_chat AND busy_until = p_taken;
END
$$;

-- A 429: nobody sends on this token for `p_seconds` (a longer pause already set stays).
CREATE FUNCTION send_budget_pause(
    p_budget text, p_count integer, p_seconds double precision, p_at double precision
) RETURNS double precision LANGUAGE sql AS $$
    INSERT INTO send_budgets AS b (budget, answered, pushed, paused_until)
    VALUES (p_budget, array_fill('-infinity'::double precision, ARRAY[p_count]),
            array_fill(false, ARRAY[p_count]),
            coalesce(p_at, extract(epoch FROM clock_timestamp())) + p_seconds)
    ON CONFLICT (budget) DO UPDATE
        SET paused_until = greatest(b.paused_until, excluded.paused_until)
    RETURNING paused_until - coalesce(p_at, extract(epoch FROM clock_timestamp()))
$$;

-- Chats whose state is the same as a chat never seen (a full bucket, nothing in flight,
-- the group's minute over) are forgotten, so a broadcast leaves no row per subscriber.
CREATE FUNCTION send_budget_forget(
    p_budget text, p_group_span double precision, p_at double precision
) RETURNS bigint LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM send_budget_chats
        WHERE budget = p_budget
          AND due <= coalesce(p_at, extract(epoch FROM clock_timestamp()))
          AND (busy_until IS NULL
               OR busy_until <= coalesce(p_at, extract(epoch FROM clock_timestamp())))
          AND (answered IS NULL
               OR (SELECT max(t) FROM unnest(answered) AS t) + p_group_span
                  <= coalesce(p_at, extract(epoch FROM clock_timestamp())))
        RETURNING 1
    )
    SELECT count(*) FROM gone
$$;
