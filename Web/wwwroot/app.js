window.aspireTickets = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
};
