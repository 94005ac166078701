"""Daily check-ins for elders living alone: greetings, signs of life, the ladder, away mode."""
