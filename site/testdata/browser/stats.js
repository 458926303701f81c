// A stand-in for an analytics tag: it sets the cookies that the TOML declares
// for the statistics category and counts its runs.
document.cookie = '_pk_id.1=abc123; Path=/; Max-Age=3600';
document.cookie = '_pk_ses.1=1; Path=/; Max-Age=1800';
window.statsRan = (window.statsRan || 0) + 1;
