-- Roles and database for the platform (run by provision.sh as a superuser; idempotent).
select format('create role g2g_owner login password %L', nullif(:'owner_password', ''))
  where not exists (select 1 from pg_roles where rolname = 'g2g_owner') \gexec
select format('create role g2g_app login password %L', nullif(:'app_password', ''))
  where not exists (select 1 from pg_roles where rolname = 'g2g_app') \gexec
-- The app role never owns anything and cannot create databases or roles.
alter role g2g_app nocreatedb nocreaterole;
select format('create database %I owner g2g_owner', :'db')
  where not exists (select 1 from pg_database where datname = :'db') \gexec
select format('revoke all on database %I from public', :'db') \gexec
select format('grant connect, temporary on database %I to g2g_app', :'db') \gexec
