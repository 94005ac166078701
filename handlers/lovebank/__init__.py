"""The love bank (爱心银行): service records, passbooks, stars, statements and repayment priority."""
