-- The nodes whose change feed has subscribers (JobChanges): a node NOTIFYs others of its changes only
-- while some other node is listed here, so a cluster without live subscribers pays no notifications.
-- A node renews its row while it has subscribers and deletes it when it has none; a row of a node
-- that died lapses at `until`.
create table change_feed_listeners (
    node_id uuid primary key,
    until   timestamptz not null
);
