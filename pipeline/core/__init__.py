"""The vocabulary every stage shares: findings and their rules, names, countries, languages, number formats."""
