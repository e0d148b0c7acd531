"""Training and certification: exam drawing, grading, the exam session, quizzes, the register."""
